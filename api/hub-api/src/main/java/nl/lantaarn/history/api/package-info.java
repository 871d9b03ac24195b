/**
 * History of the twin: every change of a feature property kept as a time series per (thing, feature, property path),
 * queried raw or aggregated per {@link nl.lantaarn.history.api.Step}.
 * <p>
 * Entry point: {@link nl.lantaarn.history.api.HistoryService}, queried with a
 * {@link nl.lantaarn.history.api.HistoryQuery}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.history.api;
