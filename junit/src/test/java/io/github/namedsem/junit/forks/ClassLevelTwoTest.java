package io.github.namedsem.junit.forks;

class ClassLevelTwoTest extends ClassLevelTests {}
