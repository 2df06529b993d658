/** Read-only views of the broker's clients, as hooks and SPIs see them. */
package io.tern.broker.client;
