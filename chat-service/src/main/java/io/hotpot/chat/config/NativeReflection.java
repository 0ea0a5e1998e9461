package io.hotpot.chat.config;

import io.hotpot.common.ChatMessage;
import io.hotpot.common.ChatPresence;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type Jackson reads or writes in chat-service, kept for native images: the chat records
 * from {@code common} (contracts without framework annotations). Frames are built as JSON trees,
 * which need nothing. NativeReflectionTest finds the types in the code and fails when one is
 * missing here.
 */
@RegisterForReflection(targets = { ChatMessage.class, ChatPresence.class })
public class NativeReflection {
}
