package nl.lantaarn.history.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The real history component on a file, without its own retention job, for this bundle's tests. */
public final class Histories {

    private Histories() {
    }

    public static HistoryComponent open(Path home, int retentionDays) {
        return new HistoryComponent(home, new HistoryComponent.Settings(home.resolve("data/history/history.mv"),
                RetentionPolicy.of(HistoryComponent.PID, retentionDays, Map.of()), 60, 50), Clock.systemUTC(), false);
    }

    public static void close(HistoryComponent history) {
        history.deactivate();
    }
}
