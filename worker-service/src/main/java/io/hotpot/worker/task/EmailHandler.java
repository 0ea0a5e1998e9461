package io.hotpot.worker.task;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.Workload;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.smallrye.mutiny.TimeoutException;

/**
 * {@code email}: sends one plain-text e-mail through the SMTP server of {@code quarkus.mailer.*}
 * ({@code QUARKUS_MAILER_HOST}, {@code _PORT}, {@code _USERNAME}, {@code _PASSWORD},
 * {@code _FROM}). I/O-bound: it waits for the server on a virtual thread.
 */
@ApplicationScoped
public class EmailHandler implements TaskHandler<EmailHandler.Args> {
    /**
     * @param to      one address
     * @param subject one line
     * @param body    plain text
     */
    public record Args(String to, String subject, String body) {
    }

    private final Mailer mailer;

    public EmailHandler(Mailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public Class<Args> argsType() {
        return Args.class;
    }

    /** What a mail says is the sender's business: records show the body masked. */
    @Override
    public Set<String> sensitiveArgs() {
        return Set.of("body");
    }

    @Override
    public Workload workload() {
        return Workload.IO;
    }

    @Override
    public Object run(Args args, TaskContext context) {
        if (!args.to().matches("[^\\s@<>,;]+@[^\\s@<>,;]+")) {
            throw new IllegalArgumentException("to must be one e-mail address, got '" + args.to() + "'");
        }
        if (args.subject().contains("\r") || args.subject().contains("\n")) {
            throw new IllegalArgumentException("subject must be one line");
        }
        try {
            mailer.send(Mail.withText(args.to(), args.subject(), args.body()));
        } catch (TimeoutException e) {
            throw new IllegalStateException("the SMTP server did not take the mail within quarkus.mailer.timeout", e);
        }
        return Map.of("to", args.to(), "subject", args.subject());
    }
}
