package nl.lantaarn.adapters.citizenreports.internal;

/**
 * How a reporter can be reached, as given in a report, in clear. Lives only while one report is mapped: it is turned
 * into a pseudonym and never stored, logged or put in a rejection reason; {@link #toString()} shows no value.
 */
final class Contact {

    static final Contact NONE = new Contact(null, null, null, null);

    private final String email;
    private final String phone;
    private final String account;
    private final String country;

    /**
     * @param email   e-mail address, or {@code null}
     * @param phone   telephone number, or {@code null}
     * @param account the reporter's account id in the reporting app, or {@code null}
     * @param country the instance's country code, for phone numbers without one
     */
    Contact(String email, String phone, String account, String country) {
        this.email = email;
        this.phone = phone;
        this.account = account;
        this.country = country;
    }

    String email() {
        return email;
    }

    String phone() {
        return phone;
    }

    String account() {
        return account;
    }

    String country() {
        return country;
    }

    boolean isEmpty() {
        return email == null && phone == null && account == null;
    }

    @Override
    public String toString() {
        return isEmpty() ? "Contact[none]" : "Contact[given, not shown]";
    }
}
