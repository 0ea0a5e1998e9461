package io.hotpot.chat.service;

/**
 * One chat message as both kinds of client receive it: {@code extended} for clients that asked
 * for Hotpot's frames ({@code hotpot.v1}), {@code plain} ({@code {"message": …}} only) for the
 * others, such as pages written for Django Channels. Each is serialised once per message.
 */
public record ChatFrame(String extended, String plain) {
    /** The frame a member receives. */
    public String text(Member member) {
        return member.extended() ? extended : plain;
    }
}
