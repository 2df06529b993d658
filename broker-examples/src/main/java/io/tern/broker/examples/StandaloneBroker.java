package io.tern.broker.examples;
public final class StandaloneBroker { public static void main(String[] a) {} }
