package io.hotpot.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A certificate authority of a test's own, made with openssl in a directory: its certificate
 * ({@link #ca()}), and PEM certificates and PKCS#8 keys it signs for a server on 127.0.0.1 and
 * localhost and for a client. Every file is world-readable: the brokers run as their own users.
 */
final class TestCa {
    final Path dir;
    private final String name;

    private TestCa(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A new CA called {@code name} (its files are named after it). */
    static TestCa create(Path dir, String name) throws Exception {
        TestCa ca = new TestCa(dir, name);
        ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", ca.file("ca.key").toString(), "-out", ca.ca().toString());
        return ca;
    }

    Path ca() {
        return file("ca.pem");
    }

    /** Signs a certificate for {@code who}: a server (names 127.0.0.1 and localhost) or a client; its PEM file. */
    Path sign(String who, boolean server) throws Exception {
        Path key = key(who);
        Path request = file(who + ".csr");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + (server ? "localhost" : who),
                "-keyout", key.toString(), "-out", request.toString());
        Path extensions = file(who + ".ext");
        Files.writeString(extensions, server ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
                : "extendedKeyUsage=clientAuth\n");
        Path certificate = file(who + ".pem");
        openssl("x509", "-req", "-in", request.toString(), "-CA", ca().toString(), "-CAkey", file("ca.key").toString(),
                "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out", certificate.toString());
        for (Path made : List.of(key, certificate, ca())) {
            Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return certificate;
    }

    /** The private key of {@code who}'s certificate (PKCS#8 PEM). */
    Path key(String who) {
        return file(who + ".key");
    }

    private Path file(String suffix) {
        return dir.resolve(name + "-" + suffix);
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        if (OwnBrokers.run(command, Map.of(), 30) != 0) {
            throw new IllegalStateException("openssl failed: " + String.join(" ", command));
        }
    }
}
