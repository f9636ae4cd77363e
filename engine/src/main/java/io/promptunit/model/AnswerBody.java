package io.promptunit.model;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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

  /**
   * The bodies still being read under a deadline. One sweep every {@value #SWEEP_MILLIS} ms ends those past it, so a
   * call costs two set operations rather than a timer of its own (a timer per call woke the timer thread for each).
   */
  private static final Set<AnswerBody> OPEN = ConcurrentHashMap.newKeySet();

  private static final long SWEEP_MILLIS = 200;

  /** Started with the class, the first time a call is made; a daemon thread, as all of PromptUnit's. */
  private static final ScheduledExecutorService SWEEPER = sweeper();

  private final CompletableFuture<AnswerBody> done = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private long deadline;
  private Supplier<HttpTimeoutException> stalled;
  private ByteArrayOutputStream whole = new ByteArrayOutputStream();
  private byte[] head;
  private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
  private long size;

  private static ScheduledExecutorService sweeper() {
    ScheduledThreadPoolExecutor sweeper =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("promptunit-deadline-"));
    sweeper.scheduleWithFixedDelay(AnswerBody::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    return sweeper;
  }

  /**
   * A body that must be complete within {@code remaining} (to within {@value #SWEEP_MILLIS} ms): past it, it stops
   * reading (the connection is given up) and the response fails with {@code stalled}'s exception.
   */
  static AnswerBody within(Duration remaining, Supplier<HttpTimeoutException> stalled) {
    AnswerBody body = new AnswerBody();
    body.deadline = System.nanoTime() + Math.max(0, remaining.toNanos());
    body.stalled = stalled;
    OPEN.add(body);
    return body;
  }

  private static void sweep() {
    long now = System.nanoTime();
    for (AnswerBody body : OPEN) {
      if (now - body.deadline >= 0 && OPEN.remove(body)) {
        try {
          body.expire(body.stalled.get());
        } catch (RuntimeException | Error e) {
          // a sweep that threw would end the periodic task, and with it every deadline of the JVM: fail the body
          body.done.completeExceptionally(e);
        }
      }
    }
  }

  private void expire(HttpTimeoutException stalled) {
    if (done.completeExceptionally(stalled)) {
      Flow.Subscription reading = subscription;
      if (reading != null) {
        reading.cancel();
      }
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (done.isDone()) {
      subscription.cancel();
      return;
    }
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
    stopDeadline();
    done.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    stopDeadline();
    done.complete(this);
  }

  private void stopDeadline() {
    if (stalled != null) {
      OPEN.remove(this);
    }
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
