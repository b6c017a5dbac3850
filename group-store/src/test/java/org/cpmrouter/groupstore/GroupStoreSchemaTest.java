package org.cpmrouter.groupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.infinispan.protostream.ProtobufUtil;
import org.infinispan.protostream.SerializationContext;
import org.junit.jupiter.api.Test;

/** The generated ProtoStream schema marshals every stored value type without loss. */
class GroupStoreSchemaTest {

    private final SerializationContext context = newContext();

    @Test
    void should_round_trip_a_subscriber_when_marshalled() throws Exception {
        SubscriberEntity entity = SubscriberEntity.from(
                new Subscriber("sip:mallory@cpm.example.com", List.of("tel:+15551230009", "tel:+2"), true, true));

        assertEquals(entity, roundTrip(entity));
        assertEquals(entity.toSubscriber(), roundTrip(entity).toSubscriber());
    }

    @Test
    void should_round_trip_a_subscriber_without_aliases_when_marshalled() throws Exception {
        SubscriberEntity entity = SubscriberEntity.from(new Subscriber("sip:a@x", List.of(), false, false));

        assertEquals(List.of(), roundTrip(entity).toSubscriber().telAliases());
    }

    @Test
    void should_round_trip_a_subscriber_with_credentials_when_marshalled() throws Exception {
        Subscriber alice = new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false)
                .withCredentials(DigestCredentials.fromPassword("alice", "cpm.example.com", "alice-demo"));

        assertEquals(alice, roundTrip(SubscriberEntity.from(alice)).toSubscriber());
    }

    /**
     * A store written before credentials existed must still load: these bytes were marshalled by that version
     * (fields 1 to 4 only), and read now they give the same subscriber, without credentials.
     */
    @Test
    void should_read_a_subscriber_stored_before_credentials_existed_as_one_without_credentials() throws Exception {
        byte[] before;
        try (var in = getClass().getResourceAsStream("/compat/subscriber-before-credentials.b64")) {
            before = java.util.Base64.getDecoder().decode(new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.US_ASCII).strip());
        }

        SubscriberEntity entity = ProtobufUtil.fromWrappedByteArray(context, before);

        assertEquals(new Subscriber("sip:alice@cpm.example.com", List.of("tel:+15551230001"), true, false),
                entity.toSubscriber());
        assertEquals(null, entity.toSubscriber().credentials());
    }

    @Test
    void should_round_trip_a_registration_when_marshalled() throws Exception {
        List<Binding> bindings = List.of(
                new Binding("sip:a@x", "sip:a@192.0.2.1", 2_000_000_000_000L, "call-1", 7, 1_900_000_000_000L),
                new Binding("sip:a@x", "sip:a@192.0.2.2", 2_000_000_100_000L, "call-2", 1, 1_900_000_100_000L));
        RegistrationEntity entity = RegistrationEntity.from(bindings);

        assertEquals(bindings, roundTrip(entity).toBindings("sip:a@x"));
    }

    @Test
    void should_round_trip_a_group_with_every_field_when_marshalled() throws Exception {
        Group group = new Group("sip:family@cpm.example.com", "Family", List.of("sip:a@x", "tel:+1"),
                SendPolicy.DOMAIN_SUBSCRIBERS, List.of("sip:b@x"), List.of("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"));

        assertEquals(group, roundTrip(GroupEntity.from(group)).toGroup());
    }

    @Test
    void should_round_trip_a_group_with_empty_lists_when_marshalled() throws Exception {
        Group group = Group.of("sip:empty@x", "", List.of());

        assertEquals(group, roundTrip(GroupEntity.from(group)).toGroup());
    }

    @Test
    void should_round_trip_an_awaited_sms_receipt_when_marshalled() throws Exception {
        AwaitedSmsReceipt awaited = new AwaitedSmsReceipt("c1", "sip:alice@cpm.example.com", "tel:+15559990000", "m1",
                List.of("positive-delivery"), null, List.of("0A", "0B"), 1234L);
        SmsReceiptEntity entity = SmsReceiptEntity.from(awaited).withOutstanding(List.of("0B"));

        assertEquals(entity, roundTrip(entity));
        assertEquals(awaited, roundTrip(entity).toAwaited());
    }

    private <T> T roundTrip(T value) throws Exception {
        byte[] bytes = ProtobufUtil.toWrappedByteArray(context, value);
        return ProtobufUtil.fromWrappedByteArray(context, bytes);
    }

    private static SerializationContext newContext() {
        SerializationContext context = ProtobufUtil.newSerializationContext();
        new GroupStoreSchemaImpl().register(context);
        return context;
    }
}
