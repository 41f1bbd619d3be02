package io.webcall.relay.ice;

/**
 * ice4j reads some settings from system properties. The relay never probes cloud metadata services or
 * STUN servers: its public address is configured.
 */
public final class IceSystemDefaults {

    private IceSystemDefaults() {
    }

    public static void apply() {
        setIfAbsent("org.ice4j.ice.harvest.DISABLE_AWS_HARVESTER", "true");
        setIfAbsent("ice4j.harvest.mapping.aws.enabled", "false");
        setIfAbsent("ice4j.software", "");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
