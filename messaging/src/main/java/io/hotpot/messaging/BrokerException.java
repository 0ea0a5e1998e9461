package io.hotpot.messaging;

/** RabbitMQ could not be reached, or refused an operation on its objects. */
public class BrokerException extends RuntimeException {
    public BrokerException(Throwable cause) {
        super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
}
