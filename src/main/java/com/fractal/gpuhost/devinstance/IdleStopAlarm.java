package com.fractal.gpuhost.devinstance;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.Ec2Action;
import software.amazon.awscdk.services.cloudwatch.actions.Ec2InstanceAction;
import software.constructs.Construct;

/** Stops a forgotten dev instance: a g3 costs money every hour it runs, busy or not. */
final class IdleStopAlarm extends Construct {
    static final int PERIOD_MINUTES = 5;

    IdleStopAlarm(final Construct scope, final String id, final String instanceId, final int idleMinutes,
            final int idleCpuPercent) {
        super(scope, id);
        int periods = idleMinutes / PERIOD_MINUTES;
        Metric cpu = Metric.Builder.create()
                .namespace("AWS/EC2")
                .metricName("CPUUtilization")
                .dimensionsMap(Map.of("InstanceId", instanceId))
                .statistic("Average")
                .period(Duration.minutes(PERIOD_MINUTES))
                .build();
        Alarm alarm = Alarm.Builder.create(this, "Alarm")
                .alarmDescription("Stops the dev instance after " + idleMinutes + " minutes below "
                        + idleCpuPercent + "% average CPU")
                .metric(cpu)
                .threshold(idleCpuPercent)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                // A stopped instance sends no data: that must not count as idle (nor as busy).
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new Ec2Action(Ec2InstanceAction.STOP));
    }
}
