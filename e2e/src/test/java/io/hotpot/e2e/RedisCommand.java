package io.hotpot.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One Redis command over a plain socket (RESP), for the end-to-end tests' own set-up and
 * clean-up against the local Redis; the services themselves use the Quarkus client.
 */
final class RedisCommand {
    private RedisCommand() {
    }

    /** Sends one command to 127.0.0.1:6379 and returns the first line of the reply. */
    static String send(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() > 0 && line.charAt(0) == '-') {
                throw new IOException("Redis: " + line.substring(1));
            }
            return line.toString();
        }
    }

    /** Deletes every key matching a pattern (test keys only; {@code KEYS} is fine at this size). */
    static void deleteMatching(String pattern) throws IOException {
        send("EVAL", "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do n = n + redis.call('DEL', k) end return n",
                "0", pattern);
    }
}
