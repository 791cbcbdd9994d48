package io.peftflow.gateway;

import java.util.Random;

/** Small, imbalanced classification data in the instruction format. */
final class Samples {
    private static final String[] LABELS = {"groceries", "groceries", "groceries", "groceries", "transport", "transport", "dining"};
    private static final String[] SHOPS = {"FreshMart", "CityBus", "Pasta Place", "GreenGrocer", "MetroRail", "Sushi Go", "QuickShop"};

    private Samples() {
    }

    /** {@code lines} distinct examples in OpenAI's chat format ({@code messages}), every line valid. */
    static String chat(int lines) {
        Random random = new Random(lines);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            out.append("{\"messages\":[{\"role\":\"system\",\"content\":\"Categorise the card transaction\"},")
                    .append("{\"role\":\"user\",\"content\":\"").append(SHOPS[random.nextInt(SHOPS.length)])
                    .append(" #").append(i).append(" ").append(random.nextInt(9000) + 100).append(" EUR\"},")
                    .append("{\"role\":\"assistant\",\"content\":\"").append(LABELS[random.nextInt(LABELS.length)])
                    .append("\"}]}\n");
        }
        return out.toString();
    }

    /** {@code lines} distinct examples, plus one broken line. */
    static String transactions(int lines) {
        Random random = new Random(lines);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            String label = LABELS[random.nextInt(LABELS.length)];
            out.append("{\"instruction\":\"Categorise the card transaction\",\"input\":\"")
                    .append(SHOPS[random.nextInt(SHOPS.length)]).append(" #").append(i).append(" ")
                    .append(random.nextInt(9000) + 100).append(" EUR\",\"output\":\"").append(label).append("\"}\n");
        }
        out.append("{\"instruction\": \"broken line\"\n");
        return out.toString();
    }
}
