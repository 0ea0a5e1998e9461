package io.hotpot.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.hotpot.api.config.ApiConfig;

/**
 * The configured API keys ({@code hotpot.auth.api-keys}): entries {@code name:sha256hex:role+role}.
 * Only hashes are held; a presented key is hashed and compared with every entry in constant time,
 * so several keys can be valid at once (rotation) and no comparison leaks how much of a hash matched.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final List<Entry> entries;

    @Inject
    public ApiKeys(ApiConfig config) {
        this(parse(config.auth().apiKeys().orElse(List.of())));
    }

    ApiKeys(List<Entry> entries) {
        this.entries = entries;
        LOG.infof("HOTPOT-API-100 %d API key(s) configured: %s", entries.size(),
                entries.stream().map(Entry::name).toList());
    }

    /** The caller a presented key stands for, if it is one of the configured keys. */
    public Optional<Caller> find(String key) {
        byte[] hash = sha256(key);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found).map(entry -> new Caller("key:" + entry.name(), entry.roles()));
    }

    /** The hex SHA-256 of a key, as it is written into {@code hotpot.auth.api-keys}. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    static List<Entry> parse(List<String> configured) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : configured) {
            String text = raw.trim();
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split(":", -1);
            // The message names the entry by its name only: the rest is a hash, but still a secret's.
            String name = parts[0];
            if (parts.length != 3 || name.isBlank()) {
                throw new IllegalArgumentException("hotpot.auth.api-keys: entry " + (entries.size() + 1)
                        + " is not name:sha256hex:role+role");
            }
            if (!parts[1].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("hotpot.auth.api-keys: the key '" + name
                        + "' has no SHA-256 in hex (64 characters) as its second part");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String role : parts[2].split("\\+")) {
                roles.add(Role.of(role.trim().toLowerCase(Locale.ROOT)).orElseThrow(() -> new IllegalArgumentException(
                        "hotpot.auth.api-keys: the key '" + name + "' has the unknown role '" + role
                                + "'; roles are chat, submit, read, admin")));
            }
            entries.add(new Entry(name, HexFormat.of().parseHex(parts[1].toLowerCase(Locale.ROOT)), roles));
        }
        return List.copyOf(entries);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    record Entry(String name, byte[] hash, Set<Role> roles) {
    }
}
