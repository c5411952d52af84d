/** Runnable examples of namedsem, among them the README's quick-start demo. */
module io.github.namedsem.examples {
    requires io.github.namedsem;
}
