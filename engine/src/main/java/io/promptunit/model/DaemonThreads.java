package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for PromptUnit's own pools (suite workers, optimizer calls, progress tickers): named so
 * that a thread dump says whose they are, and daemons, so that a pool left open never keeps a test
 * JVM alive.
 */
@API(status = INTERNAL, since = "0.1")
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Threads named {@code prefix1}, {@code prefix2}, ... */
  public static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
