package io.hotpot.messaging.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Address;

/** A cluster's node list, as {@code RABBITMQ_ADDRESSES} gives it. */
class RabbitConnectionsTest {
    @Test
    void eachNodeIsHostAndPortInTheOrderGiven() {
        assertEquals(List.of(new Address("rabbit-0.rabbit", 5672), new Address("10.0.0.7", 5671)),
                RabbitConnections.parse(List.of("rabbit-0.rabbit:5672", " 10.0.0.7:5671 ")));
    }

    @Test
    void anEntryWithoutItsPortIsRefusedByName() {
        for (String bad : List.of("rabbit-0", "rabbit-0:", ":5672", "rabbit-0:amqp")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RabbitConnections.parse(List.of(bad)));
            assertTrue(e.getMessage().contains("HOTPOT-MSG-006") && e.getMessage().contains(bad.trim()), e.getMessage());
        }
    }
}
