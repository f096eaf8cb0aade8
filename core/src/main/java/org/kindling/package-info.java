/**
 * The {@code torch} counterpart: {@link org.kindling.Kindling} holds the factories and global
 * functions of the engine.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling;
