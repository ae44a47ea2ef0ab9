package dev.lattice.helm;

import dev.lattice.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The external-database scenario's {@code orders} table and its dead letters, as the test database holds them. */
final class OrdersTable {

    /**
     * Where orders {@code [from, to)} ended up: stored with the value written, dead-lettered (saved writes
     * the loader would not put over a partition another member had written), missing, or stored with
     * another value.
     */
    record Outcome(int stored, int deadLettered, List<Long> missing, List<Long> wrongValues) {
    }

    private OrdersTable() {
    }

    static long stored(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement count = connection.prepareStatement("select count(*) from orders");
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static Outcome outcome(TestDatabase database, long from, long to) throws SQLException {
        Map<Long, String> table = new HashMap<>();
        Set<Long> deadLetters = new HashSet<>();
        try (Connection connection = database.connect()) {
            try (PreparedStatement rows = connection.prepareStatement("select id, value::text from orders where id >= ? and id < ?")) {
                rows.setLong(1, from);
                rows.setLong(2, to);
                try (ResultSet result = rows.executeQuery()) {
                    while (result.next()) {
                        table.put(result.getLong(1), result.getString(2));
                    }
                }
            }
            try (PreparedStatement rows = connection.prepareStatement("select entry_key from lattice_dead_letter where map_name = 'orders'");
                 ResultSet result = rows.executeQuery()) {
                while (result.next()) {
                    deadLetters.add(Long.parseLong(result.getString(1)));
                }
            }
        }
        List<Long> missing = new ArrayList<>();
        List<Long> wrong = new ArrayList<>();
        int dead = 0;
        for (long id = from; id < to; id++) {
            String value = table.get(id);
            if (value != null) {
                if (!sameJson(value, ProductionScenarioTests.order(id).getValue())) {
                    wrong.add(id);
                }
            } else if (deadLetters.contains(id)) {
                dead++;
            } else {
                missing.add(id);
            }
        }
        return new Outcome(table.size(), dead, missing, wrong);
    }

    /** jsonb prints its own spacing: compare without whitespace. */
    private static boolean sameJson(String stored, String written) {
        return stored.replaceAll("\\s", "").equals(written.replaceAll("\\s", ""));
    }
}
