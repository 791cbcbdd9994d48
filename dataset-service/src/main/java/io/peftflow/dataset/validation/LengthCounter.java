package io.peftflow.dataset.validation;

import io.peftflow.data.Example;
import io.peftflow.data.Turn;

import java.util.function.ToIntFunction;

/** How long an example is: tokens of the target base model's tokenizer, or characters when none is named. */
public interface LengthCounter {

    /** {@code tokens} or {@code characters}, as reported. */
    String unit();

    int count(Example example);

    /** Unicode code points of all turns' contents. */
    LengthCounter CHARACTERS = perTurn("characters", s -> s.codePointCount(0, s.length()));

    /** The sum of {@code measure} over the contents of the example's turns. */
    static LengthCounter perTurn(String unit, ToIntFunction<String> measure) {
        return new LengthCounter() {
            @Override
            public String unit() {
                return unit;
            }

            @Override
            public int count(Example example) {
                int n = 0;
                for (Turn turn : example.turns()) {
                    n += measure.applyAsInt(turn.content());
                }
                return n;
            }
        };
    }
}
