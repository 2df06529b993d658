/** Message-level value types shared by the API and the SPIs. */
package io.tern.broker.message;
