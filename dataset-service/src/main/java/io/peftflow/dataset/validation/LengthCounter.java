package io.peftflow.dataset.validation;

import io.peftflow.data.Example;
import io.peftflow.data.Turn;

/** How long an example is: tokens of the target base model's tokenizer, or characters when none is named. */
public interface LengthCounter {

    /** {@code tokens} or {@code characters}, as reported. */
    String unit();

    int count(Example example);

    /** Unicode code points of all turns' contents. */
    LengthCounter CHARACTERS = new LengthCounter() {
        @Override
        public String unit() {
            return "characters";
        }

        @Override
        public int count(Example example) {
            int n = 0;
            for (Turn turn : example.turns()) {
                n += turn.content().codePointCount(0, turn.content().length());
            }
            return n;
        }
    };
}
