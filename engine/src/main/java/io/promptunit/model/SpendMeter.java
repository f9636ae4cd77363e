package io.promptunit.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts what a suite's model calls cost — task, judge and optimizer models alike — by metering
 * each {@link ModelClient} it hands out. Answers from a cassette cost nothing and are not counted.
 */
@API(status = INTERNAL, since = "0.1")
public final class SpendMeter {

  private final PriceTable prices;
  private final Budget budget = Budget.unlimited();
  private final List<MeteredChatModel> meters = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicReference<Spend> batched =
      new java.util.concurrent.atomic.AtomicReference<>(Spend.NONE);

  public SpendMeter(PriceTable prices) {
    this.prices = prices;
  }

  /** {@code client} with its calls counted here. */
  public ModelClient meter(ModelClient client) {
    MeteredChatModel metered = new MeteredChatModel(client.model(), client.name(), budget,
        prices.priceOf(client.name()), 0);
    meters.add(metered);
    return client.withModel(metered);
  }

  public Spend total() {
    return meters.stream().map(MeteredChatModel::spent).reduce(batched.get(), Spend::plus);
  }

  /**
   * Charges one request answered through {@code model}'s provider batch API: its tokens at the list
   * price times the provider's batch factor ({@link Provider.Batch#priceFactor()}).
   */
  public void chargeBatched(String model, long inputTokens, long outputTokens) {
    double factor = Providers.of(model).flatMap(Provider::batch).map(Provider.Batch::priceFactor).orElse(1.0);
    double cost = prices.priceOf(model).map(price -> price.cost(inputTokens, outputTokens) * factor).orElse(0.0);
    batched.accumulateAndGet(new Spend(1, inputTokens, outputTokens, cost), Spend::plus);
  }

  /**
   * The models without a known price that made at least one call through this meter, each with its
   * calls: those calls were counted as $0. Answers from a cassette are no calls.
   */
  public java.util.Map<String, Long> unpricedCalls() {
    java.util.Map<String, Long> calls = new java.util.TreeMap<>();
    for (MeteredChatModel meter : meters) {
      if (meter.spent().calls() > 0 && prices.priceOf(meter.modelName()).isEmpty()) {
        calls.merge(meter.modelName(), meter.spent().calls(), Long::sum);
      }
    }
    return calls;
  }

  /** The estimated cost of tokens of {@code model}, when its price is known. */
  public Optional<Double> cost(String model, long inputTokens, long outputTokens) {
    return prices.priceOf(model).map(price -> price.cost(inputTokens, outputTokens));
  }
}
