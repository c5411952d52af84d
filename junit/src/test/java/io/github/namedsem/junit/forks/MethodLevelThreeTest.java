package io.github.namedsem.junit.forks;

class MethodLevelThreeTest extends MethodLevelTests {}
