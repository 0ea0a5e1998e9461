package io.hotpot.chat.websocket;

import java.net.URI;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.hotpot.chat.config.ChatConfig;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Refuses (403) a WebSocket handshake from a browser page of another site (cross-site WebSocket
 * hijacking): its {@code Origin} must be listed in {@code hotpot.chat.allowed-origins} or be the
 * host the request was sent to. Clients that are not browsers send no {@code Origin}.
 */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {
    private static final Logger LOG = Logger.getLogger(OriginCheck.class);

    private final List<String> allowed;

    public OriginCheck(ChatConfig config) {
        this.allowed = config.chat().allowedOrigins().orElse(List.of()).stream()
                .map(String::trim).filter(o -> !o.isEmpty()).map(OriginCheck::normalize).toList();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader("Origin");
        if (origin == null || allowed(origin, context.httpRequest().getHeader("Host"))) {
            return CheckResult.permitUpgrade();
        }
        LOG.infof("HOTPOT-CHAT-013 refused a WebSocket from origin %s", origin);
        return CheckResult.rejectUpgrade(403);
    }

    private boolean allowed(String origin, String host) {
        String normalized = normalize(origin);
        if (allowed.contains("*") || allowed.contains(normalized)) {
            return true;
        }
        try {
            return host != null && host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalize(String origin) {
        String o = origin.toLowerCase();
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
