/** The kit's checks and malformed-input corpus; not API. */
package nl.lantaarn.adapter.testkit.internal;
