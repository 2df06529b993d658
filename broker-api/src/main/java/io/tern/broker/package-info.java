/** The public entry point of Tern. */
package io.tern.broker;
