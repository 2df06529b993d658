/** Service provider interfaces between the API and an implementation. */
package io.tern.broker.spi;
