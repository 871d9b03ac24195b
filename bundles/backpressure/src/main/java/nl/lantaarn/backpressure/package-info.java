/** Back-pressure for bounded queues with one consumer: wait for progress, give up on a stuck consumer. */
package nl.lantaarn.backpressure;
