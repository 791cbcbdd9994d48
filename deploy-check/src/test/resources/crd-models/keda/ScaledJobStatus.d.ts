import { IComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions } from "./Conditions.js";
import { IIoK8sApimachineryPkgApisMetaV1Time } from "@kubernetes-models/apimachinery/apis/meta/v1/Time";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus } from "./TriggerActivityStatus.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ScaledJobStatus defines the observed state of ScaledJob
 */
export interface IScaledJobStatus {
    "Paused"?: string;
    "authenticationsTypes"?: string;
    "conditions"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions;
    "externalMetricNames"?: Array<string>;
    "lastActiveTime"?: IIoK8sApimachineryPkgApisMetaV1Time;
    "triggersActivity"?: {
        [key: string]: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus;
    };
    "triggersTypes"?: string;
}
/**
 * ScaledJobStatus defines the observed state of ScaledJob
 */
export declare class ScaledJobStatus extends Model<IScaledJobStatus> implements IScaledJobStatus {
    "Paused"?: string;
    "authenticationsTypes"?: string;
    "conditions"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1Conditions;
    "externalMetricNames"?: Array<string>;
    "lastActiveTime"?: IIoK8sApimachineryPkgApisMetaV1Time;
    "triggersActivity"?: {
        [key: string]: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerActivityStatus;
    };
    "triggersTypes"?: string;
    constructor(data?: ModelData<IScaledJobStatus>);
}
export type { IScaledJobStatus as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobStatus, ScaledJobStatus as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobStatus };
