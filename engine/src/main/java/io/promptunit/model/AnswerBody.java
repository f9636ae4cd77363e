package io.promptunit.model;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body as {@link HttpTransport} reads it: whole up to {@link #LIMIT}; past it, only its
 * first and last {@value #EDGE} bytes, where providers put the token usage, so that an answer of any
 * size is read (and its tokens counted) in bounded memory.
 */
final class AnswerBody implements HttpResponse.BodySubscriber<AnswerBody> {

  /**
   * The largest answer PromptUnit accepts: far beyond any model's longest output (128k tokens are about
   * half a megabyte of text), and below what the providers' JSON readers accept in one string.
   */
  static final int LIMIT = 16 << 20;

  private static final int EDGE = 64 << 10;

  private final CompletableFuture<AnswerBody> done = new CompletableFuture<>();
  private ByteArrayOutputStream whole = new ByteArrayOutputStream();
  private byte[] head;
  private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
  private long size;

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      size += bytes.length;
      if (whole != null) {
        whole.write(bytes, 0, bytes.length);
        if (whole.size() > LIMIT) {
          byte[] all = whole.toByteArray();
          whole = null;
          head = java.util.Arrays.copyOf(all, EDGE);
          tail.write(all, all.length - EDGE, EDGE);
        }
      } else {
        keepTail(bytes);
      }
    }
  }

  private void keepTail(byte[] bytes) {
    tail.write(bytes, 0, bytes.length);
    if (tail.size() > 2 * EDGE) {
      byte[] kept = tail.toByteArray();
      tail.reset();
      tail.write(kept, kept.length - EDGE, EDGE);
    }
  }

  @Override
  public void onError(Throwable error) {
    done.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    done.complete(this);
  }

  @Override
  public CompletionStage<AnswerBody> getBody() {
    return done;
  }

  /** Whether the body was longer than {@link #LIMIT}. */
  boolean tooLong() {
    return whole == null;
  }

  /** The whole body, when it was not {@link #tooLong()}. */
  String text() {
    return whole.toString(StandardCharsets.UTF_8);
  }

  /** How many bytes the body had. */
  long size() {
    return size;
  }

  /** The first and last bytes of a body that was {@link #tooLong()}, as text. */
  String edges() {
    return new String(head, StandardCharsets.UTF_8) + "\n…\n" + tail.toString(StandardCharsets.UTF_8);
  }
}
