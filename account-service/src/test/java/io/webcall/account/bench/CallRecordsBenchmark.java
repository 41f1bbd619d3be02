package io.webcall.account.bench;

import io.webcall.account.call.CallRecordIds;
import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import io.webcall.events.EventPublisher;
import io.webcall.events.EventPublisherConfig;
import io.webcall.events.HangupSide;
import io.webcall.infra.EmbeddedKafkaBroker;
import io.webcall.infra.EmbeddedPostgresServer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Call-records benchmark. Starts embedded PostgreSQL and Kafka and the packaged account service
 * ({@code target/quarkus-app/quarkus-run.jar}) as its own process, then prints:
 * <ol>
 *   <li>events/s ingested end to end: published to Kafka -> stored as timeline rows and records;</li>
 *   <li>PostgreSQL's own plain {@code COPY} rate into the same tables (the ceiling for comparison);</li>
 *   <li>{@code GET /v1/calls} latency p50/p99 over HTTP for filtered, paged queries at 1,000,000 records.</li>
 * </ol>
 * Run: {@code ./mvnw -o -pl account-service package -DskipTests} then
 * {@code ./mvnw -o -pl account-service exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.webcall.account.bench.CallRecordsBenchmark [-Dbench.calls=50000] [-Dbench.records=1000000]}
 * ({@code -Dbench.service-jvm="..."} adds JVM options to the service, e.g. a JFR recording).
 */
public final class CallRecordsBenchmark {

    private static final String ADMIN_KEY = "wk_bench_admin_key";

    private CallRecordsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = Integer.getInteger("bench.calls", 50_000);
        int records = Integer.getInteger("bench.records", 1_000_000);
        int requests = Integer.getInteger("bench.requests", 1_000);
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar) && System.getProperty("bench.jar") == null) {
            jar = Path.of("account-service").resolve(jar); // run from the repository root
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw -pl account-service package -DskipTests first");
        }
        System.out.printf("call-records benchmark: %d calls (%d events) end to end, %d records for queries, %d requests per query%n",
                calls, calls * 4, records, requests);
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
             EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(Files.createTempDirectory("bench-kafka-"), 0)) {
            String jdbc = postgres.createDatabase("account");
            int port = freePort();
            Process service = startService(jar, jdbc, kafka.bootstrapServers(), port);
            try {
                String base = "http://127.0.0.1:" + port;
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                awaitReady(http, base, service);
                UUID tenant = UUID.fromString(json(post(http, base + "/v1/tenants", ADMIN_KEY,
                        "{\"name\":\"Bench\",\"domain\":\"bench.example.test\"}"), "id"));
                String key = json(post(http, base + "/v1/tenants/" + tenant + "/api-keys", ADMIN_KEY, "{\"name\":\"bench\"}"), "key");

                try (Connection db = DriverManager.getConnection(jdbc, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
                    ingest(http, base, kafka.bootstrapServers(), db, tenant, calls);
                    copyReference(db, calls * 4);
                    fillRecords(db, tenant, records);
                    queries(http, base, key, requests);
                    if (Boolean.getBoolean("bench.explain")) {
                        explain(db, tenant);
                    }
                }
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
    }

    private static void ingest(HttpClient http, String base, String bootstrap, Connection db, UUID tenant, int calls)
            throws Exception {
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        EventPublisher publisher = EventPublisher.start(
                EventPublisherConfig.of(bootstrap, "bench").withBufferCapacity(calls * 4 + 10));
        // warm the path (topic creation, consumer assignment) with a few calls outside the measurement
        UUID warmTenant = UUID.randomUUID();
        for (int i = 0; i < 100; i++) {
            events(warmTenant, "warm-" + i, start, i).forEach(publisher::publish);
        }
        publisher.flush(Duration.ofSeconds(60));
        waitForRows(db, "SELECT count(*) FROM call_event WHERE tenant_id = '" + warmTenant + "'", 400, Duration.ofSeconds(120));
        double storedBefore = storedEvents(http, base);
        double[] storeBefore = storeTime(http, base);

        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            for (CallEvent e : events(tenant, "bench-" + i, start, i)) {
                if (!publisher.publish(e)) {
                    throw new IllegalStateException("publisher buffer full");
                }
            }
        }
        long published = System.nanoTime();
        publisher.flush(Duration.ofMinutes(5));
        long acked = System.nanoTime();
        long events = calls * 4L;
        // Watch the service's own counter of stored events: it is cheap, while counting rows would
        // scan the growing table again and again and compete with the ingest for the database's CPU.
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (storedEvents(http, base) - storedBefore < events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("events not stored within 10 minutes");
            }
            Thread.sleep(20);
        }
        long stored = System.nanoTime();
        double[] storeAfter = storeTime(http, base);
        waitForRows(db, "SELECT count(*) FROM call_event WHERE tenant_id = '" + tenant + "'", events, Duration.ofMinutes(1));
        waitForRows(db, "SELECT count(*) FROM call_record WHERE tenant_id = '" + tenant + "' AND status = 'completed'",
                calls, Duration.ofMinutes(2));
        publisher.close(Duration.ofSeconds(5));
        double seconds = (stored - t0) / 1e9;
        System.out.printf("%nend to end: %,d events (%,d calls) published -> stored in %.2f s = %,.0f events/s%n",
                events, calls, seconds, events / seconds);
        System.out.printf("  publish calls returned after %.2f s, Kafka acknowledged all after %.2f s%n",
                (published - t0) / 1e9, (acked - t0) / 1e9);
        double batches = storeAfter[0] - storeBefore[0];
        double storeSeconds = storeAfter[1] - storeBefore[1];
        System.out.printf("  service: %.0f database transactions (%.0f events each on average), %.2f s in them summed over "
                + "the consumer workers = %,.0f events per second of transaction time%n",
                batches, events / Math.max(1, batches), storeSeconds, events / storeSeconds);
    }

    private static List<CallEvent> events(UUID tenant, String callId, Instant base, int i) {
        Instant t = base.plusMillis(i * 50L);
        String user = "user" + (i % 50);
        String to = "sip:+4930" + (1_000_000 + i % 100_000) + "@pbx.bench";
        return List.of(
                CallEvent.builder(CallEventType.INITIATED, callId, tenant, 1).time(t).from("sip:" + user + "@bench.example.test")
                        .to(to).user(user).direction(CallDirection.OUTBOUND).build(),
                CallEvent.builder(CallEventType.RINGING, callId, tenant, 2).time(t.plusMillis(300)).sipCode(180).build(),
                CallEvent.builder(CallEventType.ANSWERED, callId, tenant, 3).time(t.plusSeconds(4)).sipCode(200).build(),
                CallEvent.builder(CallEventType.ENDED, callId, tenant, 4).time(t.plusSeconds(64)).sipCode(200)
                        .cause("normal").hangupBy(HangupSide.CALLER).build());
    }

    /** Plain COPY of the same number of rows into the same tables, as the ceiling. */
    private static void copyReference(Connection db, int events) throws Exception {
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        UUID tenant = UUID.randomUUID();
        long t0 = System.nanoTime();
        long n = copy.copyIn("COPY call_event (event_id, record_id, tenant_id, seq, type, occurred_at, sip_code, cause, hangup_by, received_at) "
                + "FROM STDIN (FORMAT csv)", new RowReader(events, i -> {
                    String type = switch (i % 4) { case 0 -> "initiated"; case 1 -> "ringing"; case 2 -> "answered"; default -> "ended"; };
                    return UUID.randomUUID() + "," + CallRecordIds.of(tenant, "copy-" + i / 4) + "," + tenant + "," + (i % 4 + 1) + ","
                            + type + ",2026-10-01T00:00:00Z,200,normal,caller,2026-10-01T00:00:00Z\n";
                }));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("reference: PostgreSQL COPY of %,d rows into call_event in %.2f s = %,.0f rows/s%n", n, seconds, n / seconds);
        try (Statement s = db.createStatement()) {
            s.execute("DELETE FROM call_event WHERE tenant_id = '" + tenant + "'");
        }
    }

    /** Brings the table to {@code total} records with COPY (mostly the bench tenant, some others). */
    private static void fillRecords(Connection db, UUID tenant, int total) throws Exception {
        long existing;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM call_record")) {
            rs.next();
            existing = rs.getLong(1);
        }
        int missing = (int) Math.max(0, total - existing);
        UUID[] others = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        String[] statuses = {"completed", "completed", "completed", "completed", "busy", "no-answer", "canceled", "failed"};
        Instant base = Instant.parse("2026-09-01T00:00:00Z");
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        long t0 = System.nanoTime();
        long n = copy.copyIn("COPY call_record (id, tenant_id, call_id, from_uri, to_uri, username, direction, status, started_at, "
                + "ringing_at, answered_at, ended_at, ring_ms, talk_ms, sip_code, cause, hangup_by, info_seq, last_seq, event_count, "
                + "updated_at) FROM STDIN (FORMAT csv)", new RowReader(missing, i -> {
                    UUID t = i % 5 == 4 ? others[i % 3] : tenant;
                    String callId = "fill-" + i;
                    String status = statuses[i % statuses.length];
                    boolean answered = status.equals("completed");
                    Instant started = base.plusMillis(i * 2_500L); // about a month of calls
                    String user = "user" + (i % 50);
                    return CallRecordIds.of(t, callId) + "," + t + "," + callId + ",sip:" + user + "@bench.example.test,sip:+4930"
                            + (1_000_000 + i % 100_000) + "@pbx.bench," + user + "," + (i % 3 == 0 ? "inbound" : "outbound") + ","
                            + status + "," + started + "," + started.plusMillis(300) + "," + (answered ? started.plusSeconds(4) : "") + ","
                            + started.plusSeconds(answered ? 64 : 20) + "," + (answered ? 4000 : 20000) + "," + (answered ? 60000 : 0) + ","
                            + (answered ? 200 : 486) + ",normal,caller,1,4,4," + started + "\n";
                }));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("reference: PostgreSQL COPY of %,d rows into call_record (with its indexes) in %.2f s = %,.0f rows/s%n",
                n, seconds, n / seconds);
        try (Statement s = db.createStatement()) {
            s.execute("VACUUM ANALYZE call_record");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM call_record")) {
                rs.next();
                System.out.printf("call_record now holds %,d records%n", rs.getLong(1));
            }
        }
    }

    private static void queries(HttpClient http, String base, String key, int requests) throws Exception {
        Map<String, String> scenarios = new LinkedHashMap<>();
        scenarios.put("newest page (pageSize=50)", "pageSize=50");
        scenarios.put("status=busy, pageSize=100", "status=busy&pageSize=100");
        scenarios.put("user + started range, pageSize=100", "user=user7&startedAfter=2026-09-10T00:00:00Z&startedBefore=2026-09-20T00:00:00Z&pageSize=100");
        scenarios.put("to (exact number), pageSize=20", "to=" + URLEncoder.encode("sip:+49301012345@pbx.bench", StandardCharsets.UTF_8) + "&pageSize=20");
        scenarios.put("direction=inbound, 3rd page via cursor", "direction=inbound&pageSize=100&@page=3");
        System.out.printf("%nGET /v1/calls over HTTP (%d requests each after 100 warm-up):%n", requests);
        List<Long> all = new ArrayList<>();
        for (Map.Entry<String, String> s : scenarios.entrySet()) {
            String query = s.getValue();
            int page = 1;
            if (query.contains("&@page=")) {
                page = Integer.parseInt(query.substring(query.indexOf("&@page=") + 7));
                query = query.substring(0, query.indexOf("&@page="));
            }
            String url = base + "/v1/calls?" + query;
            if (page > 1) {
                String cursor = null;
                for (int p = 1; p < page; p++) {
                    String body = get(http, url + (cursor == null ? "" : "&cursor=" + cursor), key);
                    cursor = json(body, "next");
                }
                url = url + "&cursor=" + cursor;
            }
            for (int i = 0; i < 100; i++) {
                get(http, url, key);
            }
            long[] times = new long[requests];
            int rows = 0;
            for (int i = 0; i < requests; i++) {
                long t0 = System.nanoTime();
                String body = get(http, url, key);
                times[i] = System.nanoTime() - t0;
                if (i == 0) {
                    rows = count(body, "\"callId\"");
                }
            }
            Arrays.sort(times);
            for (long t : times) {
                all.add(t);
            }
            System.out.printf("  %-40s rows %4d  p50 %6.2f ms  p99 %6.2f ms%n", s.getKey(), rows,
                    times[times.length / 2] / 1e6, times[(int) (times.length * 0.99)] / 1e6);
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("  %-40s            p50 %6.2f ms  p99 %6.2f ms%n", "all queries", sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    /** Query plans of the listing queries (-Dbench.explain=true), to check that they use the indexes. */
    private static void explain(Connection db, UUID tenant) throws Exception {
        String[] filters = {
                "", "AND r.status = 'busy'",
                "AND r.username = 'user7' AND r.started_at >= '2026-09-10T00:00:00Z' AND r.started_at < '2026-09-20T00:00:00Z'",
                "AND r.to_uri = 'sip:+49301012345@pbx.bench'"};
        for (String filter : filters) {
            String sql = "EXPLAIN (ANALYZE, BUFFERS) SELECT r.*, m.* FROM call_record r LEFT JOIN call_media m ON m.call_id = r.call_id "
                    + "AND (m.tenant_id IS NULL OR m.tenant_id = r.tenant_id) WHERE r.tenant_id = '" + tenant + "' " + filter
                    + " ORDER BY r.started_at DESC, r.id DESC LIMIT 101";
            System.out.println("\n" + filter);
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    System.out.println("  " + rs.getString(1));
                }
            }
        }
    }

    private static Process startService(Path jar, String jdbc, String kafka, int port) throws IOException {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        String jvmOptions = System.getProperty("bench.service-jvm", "").trim();
        if (!jvmOptions.isEmpty()) {
            command.addAll(Arrays.asList(jvmOptions.split("\\s+")));
        }
        command.addAll(List.of(
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.jdbc.url=" + jdbc,
                "-Dquarkus.datasource.username=" + EmbeddedPostgresServer.USER,
                "-Dquarkus.datasource.password=" + EmbeddedPostgresServer.PASSWORD,
                "-Dkafka.bootstrap.servers=" + kafka,
                "-Dwebcall.admin.api-key=" + ADMIN_KEY,
                "-Dwebcall.internal.token=bench-internal",
                "-Dwebcall.crypto.secret-key=" + Base64.getEncoder().encodeToString(secret),
                "-Dquarkus.log.console.json.enabled=false",
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.log.category.\"io.webcall.account.call\".level=" + System.getProperty("bench.log-level", "WARN"),
                "-jar", jar.toAbsolutePath().toString()));
        Path log = Files.createTempFile("bench-account-service-", ".log");
        System.out.println("account service log: " + log);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(HttpClient http, String base, Process service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("account service exited with " + service.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("account service not ready");
    }

    /** The service's count of call events stored for the first time ({@code webcall.calls.events}, outcome stored). */
    private static double storedEvents(HttpClient http, String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("webcall_calls_events_total{") && line.contains("outcome=\"stored\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Count and summed seconds of the service's batch transactions ({@code webcall.calls.batch.store}). */
    private static double[] storeTime(HttpClient http, String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        double[] out = new double[2];
        for (String line : r.body().split("\n")) {
            if (line.startsWith("webcall_calls_batch_store_seconds_count")) {
                out[0] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("webcall_calls_batch_store_seconds_sum")) {
                out[1] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return out;
    }

    private static void waitForRows(Connection db, String sql, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = 0;
        while (System.nanoTime() < deadline) {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                n = rs.getLong(1);
            }
            if (n >= expected) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("only " + n + " of " + expected + " rows after " + timeout + ": " + sql);
    }

    private static String post(HttpClient http, String url, String key, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String get(HttpClient http, String url, String key) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String json(String body, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + body);
        }
        return m.group(1);
    }

    private static int count(String body, String needle) {
        int n = 0;
        for (int i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Generates CSV rows on demand, so a million rows never sit in memory. */
    private static final class RowReader extends Reader {
        private final int rows;
        private final java.util.function.IntFunction<String> row;
        private int next;
        private String current = "";
        private int pos;

        RowReader(int rows, java.util.function.IntFunction<String> row) {
            this.rows = rows;
            this.row = row;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            if (pos >= current.length()) {
                if (next >= rows) {
                    return -1;
                }
                current = row.apply(next++);
                pos = 0;
            }
            int n = Math.min(len, current.length() - pos);
            current.getChars(pos, pos + n, buf, off);
            pos += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
