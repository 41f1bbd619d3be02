package io.webcall.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The launcher's flags. Every option of {@link LocalStackBuilder} has one, so the stack can be
 * started with any ports (for example inside a network namespace next to another stack).
 */
final class CommandLine {

    static final String USAGE = """
            usage: ./run-local.sh [options]
              --reset                 wipe the data directory first (database, Kafka log, secrets, logs)
              --pbx sip:HOST:PORT     the demo tenant's PBX trunk (;transport=udp|tcp|tls, default udp)
              --data DIR              data directory (default .local-data in the repository)
              --root DIR              repository with the built services (default: found from here)
              --free-ports            pick a free port for everything not given explicitly
              --postgres-port N       embedded PostgreSQL            (default 5432)
              --kafka-port N          embedded Kafka                 (default 9092)
              --http-port N           softphone page + ws:// SIP     (default 8080)
              --wss-port N            wss:// SIP                     (default 8443)
              --sip-port N            SIP UDP+TCP toward PBXes       (default 5060)
              --account-port N        account REST API               (default 8081)
              --relay-port N          relay control API              (default 8082)
              --relay-media-port N    relay WebRTC UDP port          (default 10000)
              --rtp-ports MIN-MAX     relay RTP ports toward PBXes   (default 20000-20999)
              --health-timeout SEC    how long a service may take to get ready (default 180)
              --jvm-option OPT        JVM option for every service (repeatable; replaces the default -Xmx512m)
              --exit-with-parent      stop the stack when the process that started the launcher exits
              --help                  this text
            A port of 0 means a free one.""";

    boolean help;
    boolean reset;
    boolean exitWithParent;
    String pbx;
    Path data;
    Path root;
    Ports ports = Ports.defaults();
    Duration healthTimeout = Duration.ofSeconds(180);
    List<String> jvmOptions = new ArrayList<>();

    static CommandLine parse(String... args) {
        CommandLine c = new CommandLine();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean freePorts = rest.remove("--free-ports");
        if (freePorts) {
            c.ports = Ports.free();
        }
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> c.help = true;
                case "--reset" -> c.reset = true;
                case "--exit-with-parent" -> c.exitWithParent = true;
                default -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= rest.size()) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = rest.get(++i);
                    }
                    c.option(name, value);
                }
            }
        }
        return c;
    }

    private void option(String name, String value) {
        switch (name) {
            case "--pbx" -> {
                PbxTrunk.parse(value); // fail early on a malformed URI
                pbx = value;
            }
            case "--data" -> data = Path.of(value);
            case "--root" -> root = Path.of(value);
            case "--postgres-port" -> ports = ports.withPostgres(port(name, value));
            case "--kafka-port" -> ports = ports.withKafka(port(name, value));
            case "--http-port" -> ports = ports.withEdgeHttp(port(name, value));
            case "--wss-port" -> ports = ports.withEdgeWss(port(name, value));
            case "--sip-port" -> ports = ports.withSip(port(name, value));
            case "--account-port" -> ports = ports.withAccount(port(name, value));
            case "--relay-port" -> ports = ports.withRelayControl(port(name, value));
            case "--relay-media-port" -> ports = ports.withRelayWebRtc(port(name, value));
            case "--rtp-ports" -> {
                String[] range = value.split("-", 2);
                if (range.length != 2) {
                    throw new IllegalArgumentException("--rtp-ports needs MIN-MAX, not '" + value + "'");
                }
                ports = ports.withRtpRange(port(name, range[0]), port(name, range[1]));
            }
            case "--health-timeout" -> {
                int seconds = number(name, value);
                if (seconds < 1) {
                    throw new IllegalArgumentException("--health-timeout must be at least 1 second");
                }
                healthTimeout = Duration.ofSeconds(seconds);
            }
            case "--jvm-option" -> jvmOptions.add(value);
            default -> throw new IllegalArgumentException("unknown option " + name + " (see --help)");
        }
    }

    private static int port(String name, String value) {
        int port = number(name, value);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": port out of range 0-65535: " + value);
        }
        return port;
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, not '" + value + "'");
        }
    }

    LocalStackBuilder toBuilder() {
        LocalStackBuilder builder = LocalStack.builder().ports(ports).reset(reset).pbx(pbx).healthTimeout(healthTimeout);
        if (root != null) {
            builder.repositoryRoot(root);
        }
        if (data != null) {
            builder.dataDir(data);
        }
        if (!jvmOptions.isEmpty()) {
            builder.jvmOptions(jvmOptions);
        }
        return builder;
    }
}
