package dev.bertgen.training;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void linearWarmupThenLinearDecay() {
    LearningRateSchedule s = LearningRateSchedule.linearWarmupDecay(1e-3, 10, 110);
    assertThat(s.at(1)).isWithin(1e-15).of(1e-4);
    assertThat(s.at(5)).isWithin(1e-15).of(5e-4);
    assertThat(s.at(10)).isWithin(1e-15).of(1e-3);
    assertThat(s.at(60)).isWithin(1e-15).of(5e-4);
    assertThat(s.at(110)).isEqualTo(0.0);
    assertThat(s.at(500)).isEqualTo(0.0);
    assertThat(LearningRateSchedule.linearWarmupDecay(1e-3, 0, 10).at(1)).isWithin(1e-15).of(9e-4);
  }

  @Test
  void optimizerStepFollowsTheSchedule() {
    Optimizer o = Optimizers.adam(LearningRateSchedule.linearWarmupDecay(1e-3, 10, 110));
    // Keras: a1 = lr·√(1−β2ᵗ)/(1−β1ᵗ)
    double t = 5;
    double expected = 5e-4 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
    assertThat((double) o.step(5).a1()).isWithin(1e-9).of(expected);
    OptimizerStep p = o.withPyTorchEpsilon().step(5);
    assertThat((double) p.a1()).isWithin(1e-9).of(5e-4 / (1 - Math.pow(0.9, t)));
    assertThat((double) p.a2()).isWithin(1e-6).of(1 / Math.sqrt(1 - Math.pow(0.999, t)));
    assertThat((double) Optimizers.adamW(1e-3, 0.01).step(1).decay()).isWithin(1e-12).of(1e-5);
  }

  @Test
  void badValuesAreRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(0));
    assertThat(e).hasMessageThat().contains("learning rate must be a positive number, got 0.0");
    e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.linearWarmupDecay(1e-3, 10, 10));
    assertThat(e).hasMessageThat().contains("0 <= warmupSteps < totalSteps");
    e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(1e-3).withClipNorm(-1));
    assertThat(e).hasMessageThat().contains("clipNorm");
    e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(1e-3).withBetas(1, 0.9));
    assertThat(e).hasMessageThat().contains("betas");
  }
}
