/**
 * The DPIA fact sheet: {@link nl.lantaarn.dpia.internal.FactSheetGenerator} collects the facts of the running
 * configuration into a {@link nl.lantaarn.dpia.internal.FactSheet}; {@link nl.lantaarn.dpia.internal.MarkdownFactSheet}
 * and {@link nl.lantaarn.dpia.internal.HtmlFactSheet} render it; {@link nl.lantaarn.dpia.internal.DpiaServlet} serves
 * it at {@code /api/v1/dpia}, which {@code ./lantaarn dpia} reads.
 */
package nl.lantaarn.dpia.internal;
