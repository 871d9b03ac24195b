package nl.lantaarn.adapters.citizenreports.internal;

import java.time.Instant;

/**
 * One citizen report as read from Open311 or Signalen, checked, before it becomes a thing update. Free text is already
 * scrubbed of e-mail addresses and phone numbers; the contact is still in clear and is only turned into a pseudonym
 * (its {@code toString} shows no value).
 *
 * @param source       {@code open311} or {@code signalen}
 * @param externalId   the id the sending system gave the report (Signalen), or {@code null}
 * @param category     the category code, e.g. {@code lantaarnpaal-straatverlichting}
 * @param categoryName the category's name when the sender gave one, else {@code null}
 * @param description  what the reporter wrote, scrubbed; {@code null} when none
 * @param latitude     WGS84 latitude, or {@code null} when only an address was given
 * @param longitude    WGS84 longitude, or {@code null}
 * @param address      the address as text, or {@code null}
 * @param mediaUrl     a photo's URL, or {@code null}
 * @param contact      the reporter's contact, never stored
 * @param status       {@code open} or {@code closed} when the sender gave a status, else {@code null}
 * @param statusNotes  the sender's status text, scrubbed, or {@code null}
 * @param requestedAt  when the report was made
 * @param updatedAt    when it last changed at the sender
 */
record Report(String source, String externalId, String category, String categoryName, String description,
        Double latitude, Double longitude, String address, String mediaUrl, Contact contact, String status,
        String statusNotes, Instant requestedAt, Instant updatedAt) {

    static final String OPEN311 = "open311";
    static final String SIGNALEN = "signalen";
    static final String OPEN = "open";
    static final String CLOSED = "closed";
}
