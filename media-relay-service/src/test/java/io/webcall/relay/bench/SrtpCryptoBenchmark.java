package io.webcall.relay.bench;

import io.webcall.relay.dtls.SrtpKeys;
import io.webcall.relay.dtls.SrtpProfile;
import io.webcall.relay.srtp.PacketBuffer;
import io.webcall.relay.srtp.SrtpResult;
import io.webcall.relay.srtp.SrtpSession;
import org.jitsi.srtp.crypto.Aes;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;

/**
 * Nanoseconds per SRTP protect and unprotect of a 172-byte RTP packet (12-byte header, 160 bytes of PCMU),
 * for both protection profiles, with each AES provider the SRTP library can use, and the cost of the bare
 * JCE primitives one packet needs (the floor any SRTP implementation on the JCE pays). A command, not a test:
 * <pre>
 * ./mvnw -B -o -q -pl media-relay-service exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.webcall.relay.bench.SrtpCryptoBenchmark -Dexec.args="200000 SunJCE"
 * </pre>
 * Without a second argument the relay's own choice is measured (the JDK's provider). {@code SunJCE}, {@code OpenSSL} or
 * {@code BouncyCastle} pins that provider instead; {@code library} lets the SRTP library time the providers at first
 * use and keep the fastest it saw (what the relay did before it pinned the JDK's).
 */
public final class SrtpCryptoBenchmark {

    private static final int BATCH = 1000;
    private static final int PACKET = 172;

    private SrtpCryptoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        // The SRTP library picks its AES provider once per transformation, at first use: one provider per JVM.
        // The relay pins the JDK's provider when its SRTP class loads: load it first, then pin what was asked.
        Class.forName(SrtpSession.class.getName());
        String factory = args.length > 1 ? args[1] : "";
        if ("library".equals(factory)) {
            Aes.setFactoryClassName(null);
        } else if (!factory.isEmpty()) {
            Aes.setFactoryClassName("org.jitsi.srtp.crypto.Aes$" + factory + "CipherFactory");
        }
        System.out.printf("%d packets of %d bytes per figure, median of 5 rounds, Java %s, load average %s%n",
                packets, PACKET, System.getProperty("java.version"), loadAverage());
        for (SrtpProfile profile : SrtpProfile.values()) {
            long[] ns = session(profile, packets);
            System.out.printf("AES provider %-14s (CTR: %s, GCM: %s) %-24s protect %5d ns  unprotect %5d ns%n",
                    factory.isEmpty() ? "relay's (SunJCE)" : "library".equals(factory) ? "library's pick" : factory,
                    Aes.createCipher("AES/CTR/NoPadding").getProvider().getName(),
                    Aes.createCipher("AES/GCM/NoPadding").getProvider().getName(), profile, ns[0], ns[1]);
        }
        System.out.println();
        System.out.println("bare JCE (SunJCE) work for one packet:");
        primitives(packets);
    }

    /** Median ns per protect and per unprotect over 5 rounds of {@code packets} packets. */
    private static long[] session(SrtpProfile profile, int packets) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 3);
        }
        long[][] rounds = new long[5][];
        try (SrtpSession sender = new SrtpSession(SrtpKeys.fromKeyingMaterial(profile, material, false));
             SrtpSession receiver = new SrtpSession(SrtpKeys.fromKeyingMaterial(profile, material, true))) {
            byte[] rtp = new byte[PACKET];
            rtp[0] = (byte) 0x80;
            rtp[11] = 42;
            Arrays.fill(rtp, 12, PACKET, (byte) 0xd5);
            byte[][] wire = new byte[BATCH][PACKET + PacketBuffer.TRAILER_ROOM];
            int[] wireLength = new int[BATCH];
            int seq = 0;
            // one warm-up round, then 5 measured
            for (int round = -1; round < 5; round++) {
                long protectNs = 0;
                long unprotectNs = 0;
                for (int done = 0; done < packets; done += BATCH) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < BATCH; i++) {
                        seq++;
                        rtp[2] = (byte) (seq >> 8);
                        rtp[3] = (byte) seq;
                        PacketBuffer p = PacketBuffer.outgoing(rtp, 0, PACKET);
                        if (!sender.protectRtp(p)) {
                            throw new IllegalStateException("protect failed");
                        }
                        System.arraycopy(p.getBuffer(), p.getOffset(), wire[i], 0, p.getLength());
                        wireLength[i] = p.getLength();
                    }
                    long t1 = System.nanoTime();
                    for (int i = 0; i < BATCH; i++) {
                        if (receiver.unprotectRtp(PacketBuffer.incoming(wire[i], 0, wireLength[i])) != SrtpResult.OK) {
                            throw new IllegalStateException("unprotect failed");
                        }
                    }
                    long t2 = System.nanoTime();
                    protectNs += t1 - t0;
                    unprotectNs += t2 - t1;
                }
                if (round >= 0) {
                    rounds[round] = new long[] {protectNs / packets, unprotectNs / packets};
                }
            }
        }
        return new long[] {median(rounds, 0), median(rounds, 1)};
    }

    private static void primitives(int packets) throws Exception {
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] payload = new byte[PACKET + 16];
        byte[] out = new byte[PACKET + 32];
        byte[] counters = new byte[176];
        byte[] keystream = new byte[176];
        byte[] iv = new byte[16];
        byte[] tag = new byte[20];
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, key);
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
        String[] names = {"AES-CM via ECB counter blocks + XOR", "AES-CM via CTR re-init", "HMAC-SHA1 over 176 bytes",
                "AES-GCM init + doFinal"};
        for (int kind = 0; kind < names.length; kind++) {
            long[][] rounds = new long[5][];
            for (int round = -1; round < 5; round++) {
                long t0 = System.nanoTime();
                for (int n = 0; n < packets; n++) {
                    iv[13] = (byte) n;
                    iv[12] = (byte) (n >> 8);
                    switch (kind) {
                        case 0 -> {
                            for (int b = 0; b < 11; b++) {
                                System.arraycopy(iv, 0, counters, b * 16, 14);
                                counters[b * 16 + 15] = (byte) b;
                            }
                            ecb.doFinal(counters, 0, 160, keystream, 0);
                            for (int i = 0; i < 160; i++) {
                                payload[12 + i] ^= keystream[i];
                            }
                        }
                        case 1 -> {
                            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
                            ctr.doFinal(payload, 12, 160, payload, 12);
                        }
                        case 2 -> {
                            hmac.update(payload, 0, PACKET + 4);
                            hmac.doFinal(tag, 0);
                        }
                        default -> {
                            iv[11] = (byte) n;
                            iv[10] = (byte) (n >> 8);
                            iv[9] = (byte) (n >> 16);
                            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv, 0, 12));
                            gcm.updateAAD(payload, 0, 12);
                            gcm.doFinal(payload, 12, 160, out, 12);
                        }
                    }
                }
                if (round >= 0) {
                    rounds[round] = new long[] {(System.nanoTime() - t0) / packets};
                }
            }
            System.out.printf("  %-40s %8d ns%n", names[kind], median(rounds, 0));
        }
    }

    private static long median(long[][] rounds, int column) {
        long[] values = new long[rounds.length];
        for (int i = 0; i < rounds.length; i++) {
            values[i] = rounds[i][column];
        }
        Arrays.sort(values);
        return values[values.length / 2];
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
