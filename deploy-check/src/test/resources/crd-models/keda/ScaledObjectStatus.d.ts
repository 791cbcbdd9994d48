import { IComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions } from "./Conditions.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatus } from "./HealthStatus.js";
import { IIoK8sApimachineryPkgApisMetaV1Time } from "@kubernetes-models/apimachinery/apis/meta/v1/Time";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1GroupVersionKindResource } from "./GroupVersionKindResource.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus } from "./TriggerActivityStatus.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ScaledObjectStatus is the status for a ScaledObject resource
 */
export interface IScaledObjectStatus {
    "authenticationsTypes"?: string;
    "compositeScalerName"?: string;
    "conditions"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions;
    "externalMetricNames"?: Array<string>;
    "health"?: {
        [key: string]: IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatus;
    };
    "hpaName"?: string;
    "lastActiveTime"?: IIoK8sApimachineryPkgApisMetaV1Time;
    "originalReplicaCount"?: number;
    "pausedReplicaCount"?: number;
    "resourceMetricNames"?: Array<string>;
    "scaleTargetGVKR"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1GroupVersionKindResource;
    "scaleTargetKind"?: string;
    "triggersActivity"?: {
        [key: string]: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus;
    };
    "triggersTypes"?: string;
}
/**
 * ScaledObjectStatus is the status for a ScaledObject resource
 */
export declare class ScaledObjectStatus extends Model<IScaledObjectStatus> implements IScaledObjectStatus {
    "authenticationsTypes"?: string;
    "compositeScalerName"?: string;
    "conditions"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions;
    "externalMetricNames"?: Array<string>;
    "health"?: {
        [key: string]: IComGithubKedacoreKedaV2ApisKedaV1alpha1HealthStatus;
    };
    "hpaName"?: string;
    "lastActiveTime"?: IIoK8sApimachineryPkgApisMetaV1Time;
    "originalReplicaCount"?: number;
    "pausedReplicaCount"?: number;
    "resourceMetricNames"?: Array<string>;
    "scaleTargetGVKR"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1GroupVersionKindResource;
    "scaleTargetKind"?: string;
    "triggersActivity"?: {
        [key: string]: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus;
    };
    "triggersTypes"?: string;
    constructor(data?: ModelData<IScaledObjectStatus>);
}
export type { IScaledObjectStatus as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectStatus, ScaledObjectStatus as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectStatus };
