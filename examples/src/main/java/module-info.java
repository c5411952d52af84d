/** Small programs using namedsem; run them with {@code --enable-native-access=io.github.namedsem}. */
module io.github.namedsem.examples {
    requires io.github.namedsem;

    exports io.github.namedsem.examples;
}
