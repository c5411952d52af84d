package io.github.namedsem.junit.forks;

class ClassLevelOneTest extends ClassLevelTests {}
