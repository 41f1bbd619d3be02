package io.webcall.account.call;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Told about newly stored call events inside the transaction that stores them, so that what it
 * writes (e.g. webhook deliveries) commits or rolls back together with the records.
 */
public interface CallEventListener {

    void onApplied(Connection connection, List<AppliedEvent> applied) throws SQLException;
}
