import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobSpec } from "./ScaledJobSpec.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobStatus } from "./ScaledJobStatus.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * ScaledJob is the Schema for the scaledjobs API
 */
export interface IScaledJob extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "ScaledJob";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobStatus;
}
/**
 * ScaledJob is the Schema for the scaledjobs API
 */
export declare class ScaledJob extends Model<IScaledJob> implements IScaledJob {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "ScaledJob";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobStatus;
    static apiVersion: IScaledJob["apiVersion"];
    static kind: IScaledJob["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IScaledJob>;
    constructor(data?: ModelData<IScaledJob>);
}
export type { IScaledJob as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJob, ScaledJob as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJob };
