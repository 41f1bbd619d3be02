package io.webcall.account.call;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The rows of one batch statement held column by column as text: each column is bound as one
 * {@code ?::text[]} parameter that the statement expands with {@code unnest} and casts, so a whole
 * batch of rows costs one round trip.
 */
final class TextColumns {

    private final String[][] columns;

    TextColumns(int columnCount, int rowCount) {
        this.columns = new String[columnCount][rowCount];
    }

    void set(int column, int row, String value) {
        columns[column][row] = value;
    }

    /** Binds column k as parameter k + 1. */
    void bind(Connection c, PreparedStatement ps) throws SQLException {
        for (int k = 0; k < columns.length; k++) {
            ps.setArray(k + 1, c.createArrayOf("text", columns[k]));
        }
    }

    /** The value's text, or null for null. */
    static String text(Object o) {
        return o == null ? null : o.toString();
    }

    /** The text as a PostgreSQL text column can hold it: without NUL, cut to at most {@code max} characters. */
    static String fit(String s, int max) {
        if (s == null) {
            return null;
        }
        // strip NUL, which PostgreSQL text cannot hold
        String clean = s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
