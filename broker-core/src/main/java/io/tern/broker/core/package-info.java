/** Tern core. */
package io.tern.broker.core;
