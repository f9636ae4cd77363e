package io.promptunit.optimize;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Joining concurrent work so that its failures read like the synchronous ones (a budget stop stays a budget stop). */
final class Async {

  private Async() {}

  /** All of {@code futures} in order, completed when every one is (exceptionally if any failed, after all finished). */
  static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
      List<T> values = new ArrayList<>(futures.size());
      RuntimeException first = null;
      for (CompletableFuture<T> future : futures) {
        try {
          values.add(future.join());
        } catch (CompletionException e) {
          first = first != null ? first : unwrap(e);
        }
      }
      if (first != null) {
        throw first;
      }
      return values;
    });
  }

  /** The value of {@code future}; its failure rethrown as itself rather than wrapped. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for model calls", e);
    }
  }

  static RuntimeException unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error fatal) {
      throw fatal;
    }
    return new IllegalStateException(cause);
  }
}
