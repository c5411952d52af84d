package io.github.namedsem.junit.forks;

class MethodLevelFourTest extends MethodLevelTests {}
