package io.webcall.account.call;

/**
 * One user of a tenant, as a party to calls: the calls they may read are those they placed or
 * received.
 *
 * @param username platform username ({@code alice})
 * @param aor      address of record ({@code sip:alice@demo.localhost})
 */
public record CallParty(String username, String aor) {
}
