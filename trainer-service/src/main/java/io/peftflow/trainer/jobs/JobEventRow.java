package io.peftflow.trainer.jobs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One line of a job's event log (/events, /stream): a message and the event payload behind it. */
@Entity
@Table(name = "job_event")
public class JobEventRow extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "job_id")
    public String jobId;

    /** The CloudEvents type without its prefix and version, e.g. {@code training.progress}. */
    public String type;

    public String level;

    public String message;

    /** The payload as JSON. */
    public String data;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
