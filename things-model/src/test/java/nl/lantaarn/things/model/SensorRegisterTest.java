package nl.lantaarn.things.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

class SensorRegisterTest {

    static final String COMPLETE = """
            {"sensorType":"Geluidsensor","organisation":"Gemeente Eindhoven",
             "contact":{"name":"Team Stratumseind","email":"stratumseind@example.nl"},
             "containsPersonalData":false,"goal":"Geluidsoverlast meten","legalGround":"PUBLIC_TASK",
             "activeUntil":"2030-12-31","regions":[],"reference":"EHV-0042"}""";

    @Test
    void completeRegisterHasNoProblems() {
        assertThat(SensorRegister.validate(JsonFactory.readFrom(COMPLETE), "attributes/register")).isEmpty();
    }

    @Test
    void everyBadValueIsNamed() {
        JsonObject bad = JsonFactory.newObject("""
                {"sensorType":"","organisation":7,"contact":{"email":"nobody","phone":"06"},
                 "containsPersonalData":"yes","goal":"x","legalGround":"BECAUSE","privacyStatement":"ftp://x",
                 "activeUntil":"2030-02-30","regions":"stratumseind","colour":"red"}""");
        assertThat(SensorRegister.validate(bad, "attributes/register")).containsExactlyInAnyOrder(
                "attributes/register/colour: is not a register field; the fields are " + SensorRegister.FIELDS,
                "attributes/register/sensorType: must be a text of 1-500 characters, e.g. \"Geluidsensor\", was \"\"",
                "attributes/register/organisation: must be a text of 1-500 characters, the organisation responsible "
                        + "for the sensor, was 7",
                "attributes/register/contact/phone: is not a contact field; the fields are name, email, url",
                "attributes/register/contact/email: must be an e-mail address, was \"nobody\"",
                "attributes/register/containsPersonalData: must be true or false, was \"yes\"",
                "attributes/register/legalGround: must be one of " + SensorRegister.LEGAL_GROUNDS
                        + " (AVG article 6(1)), was \"BECAUSE\"",
                "attributes/register/privacyStatement: must be an http(s) address of the privacy statement, was "
                        + "\"ftp://x\"",
                "attributes/register/activeUntil: must be a date YYYY-MM-DD, the last day the sensor may collect, "
                        + "was \"2030-02-30\"",
                "attributes/register/regions: must be a list of at most 50 area names or zone ids, was "
                        + "\"stratumseind\"");
    }

    @Test
    void personalDataNeedsLegalGroundAndPrivacyStatement() {
        JsonObject register = JsonFactory.newObject(COMPLETE).toBuilder().set("containsPersonalData", true)
                .remove("legalGround").build();
        assertThat(SensorRegister.validate(register, "r")).containsExactly(
                "r/legalGround: is required when containsPersonalData is true; one of "
                        + SensorRegister.LEGAL_GROUNDS,
                "r/privacyStatement: is required when containsPersonalData is true: the http(s) address of the "
                        + "privacy statement");
    }

    @Test
    void missingFieldsAreNamed() {
        assertThat(SensorRegister.validate(JsonFactory.newObject("{}"), "r")).containsExactly(
                "r/sensorType: must be a text of 1-500 characters, e.g. \"Geluidsensor\" (missing)",
                "r/organisation: must be a text of 1-500 characters, the organisation responsible for the sensor "
                        + "(missing)",
                "r/goal: must be a text of 1-500 characters, why the sensor collects data (missing)",
                "r/contact: must be an object {\"name\":..,\"email\":..} or with \"url\": whom citizens ask (missing)",
                "r/containsPersonalData: must be true or false (missing)",
                "r/activeUntil: must be a date YYYY-MM-DD, the last day the sensor may collect (missing)");
    }

    @Test
    void lastDayStillCounts() {
        assertThat(SensorRegister.expired("2026-11-24", "2026-11-24")).isFalse();
        assertThat(SensorRegister.expired("2026-11-23", "2026-11-24")).isTrue();
        assertThat(SensorRegister.expired("3000-12-31", "2026-11-24")).isFalse();
    }

    @Test
    void hubConventionsRefuseABadRegister() {
        Thing thing = ThingsModelFactory.newThing(JsonFactory.newObject("""
                {"thingId":"nl.demo.safety:n-1","attributes":{"register":{"sensorType":"Geluidsensor"}}}"""));
        assertThat(HubConventions.validate(thing)).contains(
                "attributes/register/activeUntil: must be a date YYYY-MM-DD, the last day the sensor may collect "
                        + "(missing)");
        Thing good = ThingsModelFactory.newThing(JsonFactory.newObject(
                "{\"thingId\":\"nl.demo.safety:n-1\",\"attributes\":{\"register\":" + COMPLETE + "}}"));
        assertThat(HubConventions.validate(good)).isEmpty();
    }
}
