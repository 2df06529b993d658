/** Inspecting and managing a running broker from the host application: sessions, retained messages, metrics. */
package io.tern.broker.admin;
