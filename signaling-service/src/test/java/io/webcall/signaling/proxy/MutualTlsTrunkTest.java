package io.webcall.signaling.proxy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.webcall.events.CallEventType;
import io.webcall.events.HangupSide;
import io.webcall.signaling.transport.Transport;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.Kamailio;
import io.webcall.signaling.testsupport.MutualTlsTrunkEdgeTestResource;
import io.webcall.signaling.testsupport.NodeUa;
import io.webcall.signaling.testsupport.Sipp;
import io.webcall.signaling.testsupport.TestCertificates;
import io.webcall.signaling.testsupport.TlsTrunkEdgeTestResource;
import io.webcall.signaling.transport.SipTransports;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual TLS toward PBX trunks (RFC 5922 section 7.3), with Kamailio's TLS module as the PBX's TLS front: a front that
 * requires a client certificate gets the edge's, and the edge's TLS listener, set to require client certificates,
 * takes the PBX's in-dialog requests only over connections whose certificate it trusts.
 */
@QuarkusTest
@QuarkusTestResource(value = MutualTlsTrunkEdgeTestResource.class, restrictToAnnotatedClass = true)
class MutualTlsTrunkTest extends TrunkCallTest {

    @Inject
    SipTransports transports;

    @BeforeEach
    void kamailioTlsAndCertificates() {
        Kamailio.assumeTlsAvailable();
        TestCertificates.assumeAvailable();
    }

    @Test
    void aPbxRequiringClientCertificatesGetsTheEdgesAndItsByeComesBackOverACertifiedConnection() throws Exception {
        int sippPort = Sipp.freeUdpPort();
        try (Sipp pbx = Sipp.uas("pbx-422-then-answers-and-hangs-up.xml", sippPort);
             Kamailio front = Kamailio.tlsProxyTo(sippPort, TestCertificates.certificate(TlsTrunkEdgeTestResource.TRUSTED),
                     TestCertificates.key(TlsTrunkEdgeTestResource.TRUSTED), TestCertificates.certificate("edge"), true);
             NodeUa alice = registered("alice-mtls", "alice")) {
            trunk("sip:127.0.0.1:" + front.port(), "tls", null, null);
            alice.send(new JsonObject().put("cmd", "call").put("target", "sip:+15550171@" + AccountServiceProcess.DOMAIN)
                    .put("sessionExpires", 90));
            // Kamailio refuses the handshake unless the edge presents a certificate chaining to the edge's
            JsonObject confirmed = alice.await("confirmed", T);
            assertTrue(confirmed.getString("remoteSdp").contains("a=fingerprint"), confirmed.encode());
            // the PBX's BYE comes back on a connection Kamailio opens to the edge's listener, which requires its certificate
            JsonObject ended = alice.await("ended", T);
            assertEquals("remote", ended.getString("originator"), "the PBX's BYE reached the browser: " + ended);
            assertTrue(pbx.succeeded(20), "the PBX got the INVITE and a 200 to its BYE: " + pbx.errors());
            assertEquals(HangupSide.CALLEE, last(CallEventType.ENDED).hangupBy());
        }
    }

    @Test
    void theTlsListenerAnswersAClientWithATrustedCertificateAndRefusesOneWithout() throws Exception {
        int port = transports.portFor(Transport.TLS);
        // the same OPTIONS: with the trusted PBX certificate it gets a SIP answer
        String answer = optionsOverTls(port, TlsTrunkEdgeTestResource.TRUSTED);
        assertTrue(answer.startsWith("SIP/2.0 "), "a PBX with a trusted certificate talks SIP: " + answer);
        // without a certificate the handshake is refused (TLS 1.3 ends the client's side of the handshake before the
        // server checks the certificate, so the alert may only arrive on the first read): never a SIP answer
        Exception refused = assertThrows(Exception.class, () -> optionsOverTls(port, null),
                "a client without a certificate never gets to SIP");
        assertTrue(refused instanceof javax.net.ssl.SSLException || refused instanceof java.net.SocketException
                        || refused instanceof java.io.EOFException,
                "refused by TLS, not left waiting: " + refused);
    }

    /**
     * Sends an OPTIONS over TLS to the edge's listener, presenting the test certificate {@code name} (none when null),
     * and returns the status line of the answer; throws when the connection is refused or closed.
     */
    private static String optionsOverTls(int port, String name) throws Exception {
        KeyManager[] keys = null;
        if (name != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(TestCertificates.certificate(name)));
            String pem = Files.readString(TestCertificates.key(name)).replaceAll("-----[A-Z ]+-----|\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            store.setKeyEntry("pbx", key, new char[0], new java.security.cert.Certificate[] {certificate});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {new TrustingManager()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            String branch = "z9hG4bK-mtls-" + System.nanoTime();
            String options = "OPTIONS sip:127.0.0.1:" + port + ";transport=tls SIP/2.0\r\n"
                    + "Via: SIP/2.0/TLS 127.0.0.1:5099;branch=" + branch + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:pbx@127.0.0.1>;tag=mtls\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: " + branch + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            socket.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            if (status == null) {
                throw new java.io.EOFException("the edge closed the connection without an answer");
            }
            return status;
        }
    }

    /** Accepts the edge's test certificate: what is tested here is the edge's check of the client, not this one's. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
