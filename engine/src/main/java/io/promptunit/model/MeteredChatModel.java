package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ChatModel} that charges every call to a {@link Budget} and a running {@link Spend}:
 * the worst case is reserved before the call (and the call refused if it could cross a cap), the
 * real usage recorded after. The worst input is the request's token count where the model's
 * encoding is known, its bytes elsewhere ({@link Tokens#bound}), counted only under a token or dollar cap (or
 * when the provider reports no usage); the worst output is the call's cap,
 * or the longest answer the model gave once it has answered beyond a cap. A call the budget's
 * wall-time cap cancelled ends in a {@link BudgetExhaustedException} saying so.
 */
@API(status = INTERNAL, since = "0.1")
public final class MeteredChatModel implements ChatModel {

  private final ChatModel delegate;
  private final String modelName;
  private final Budget budget;
  private final Optional<PriceTable.Price> price;
  private final int defaultOutputCap;
  /** Loaded on first use: an encoding costs tens of megabytes and the CPU to build it. */
  private volatile Tokens tokens;
  private final AtomicReference<Spend> spent = new AtomicReference<>(Spend.NONE);

  /**
   * @param defaultOutputCap output tokens assumed when a request sets no {@code maxOutputTokens}
   */
  public MeteredChatModel(ChatModel delegate, String modelName, Budget budget, Optional<PriceTable.Price> price,
      int defaultOutputCap) {
    this.delegate = delegate;
    this.modelName = modelName;
    this.budget = budget;
    this.price = price;
    this.defaultOutputCap = defaultOutputCap;
  }

  private Tokens tokens() {
    Tokens known = tokens;
    if (known == null) {
      known = Tokens.of(modelName);
      tokens = known;
    }
    return known;
  }

  /** The request's worst input where a cap needs it before the call; 0 where nothing does. */
  private long worstInput(ChatRequest request) {
    return budget.capsSpend() ? tokens().bound(request.messages()) : 0;
  }

  public double worstCost(long inputTokens, long outputTokens) {
    return price.map(p -> p.cost(inputTokens, outputTokens)).orElse(0.0);
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    long worstIn = worstInput(request);
    Integer cap = request.parameters().maxOutputTokens();
    long outputCap = cap != null ? cap : defaultOutputCap;
    Budget.Hold hold = budget.hold(modelName, worstIn, outputCap, this::worstCost);
    ChatResponse response;
    try {
      response = delegate.chat(request);
    } catch (RuntimeException e) {
      chargeFailed(hold, worstIn, request, e);
      throw e;
    }
    TokenUsage usage = response.tokenUsage();
    long in = usage != null && usage.inputTokenCount() != null ? usage.inputTokenCount()
        : worstIn > 0 ? worstIn : tokens().bound(request.messages());
    long out = usage != null && usage.outputTokenCount() != null ? usage.outputTokenCount() : outputCap;
    Spend actual = new Spend(1, in, out, worstCost(in, out));
    budget.settle(hold, actual);
    add(actual);
    return response;
  }

  /**
   * A call that failed costs nothing but the call, except an answer too long to use: it was paid for, so it
   * costs what the server reported, else its size at four bytes a token.
   */
  private void chargeFailed(Budget.Hold hold, long worstIn, ChatRequest request, RuntimeException e) {
    Optional<AnswerTooLongException> tooLong = AnswerTooLongException.in(e);
    if (tooLong.isEmpty()) {
      boolean cancelled = budget.release(hold);
      add(new Spend(1, 0, 0, 0.0));
      if (cancelled) {
        // what the interrupted call threw says only that it was interrupted
        throw budget.cancelledAtDeadline(modelName);
      }
      return;
    }
    long in = tooLong.get().inputTokens().orElseGet(() -> worstIn > 0 ? worstIn : tokens().bound(request.messages()));
    long out = tooLong.get().outputTokens().orElse(tooLong.get().bytes() / 4);
    Spend actual = new Spend(1, in, out, worstCost(in, out));
    budget.settle(hold, actual);
    add(actual);
  }

  private void add(Spend spend) {
    spent.accumulateAndGet(spend, Spend::plus);
  }

  /** What this model's calls cost so far. */
  public Spend spent() {
    return spent.get();
  }

  public String modelName() {
    return modelName;
  }
}
