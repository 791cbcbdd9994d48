import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJob } from "./ScaledJob.js";
import { IIoK8sApimachineryPkgApisMetaV1ListMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ListMeta";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * ScaledJobList contains a list of ScaledJob
 */
export interface IScaledJobList extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJob>;
    "kind": "ScaledJobList";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ListMeta;
}
/**
 * ScaledJobList contains a list of ScaledJob
 */
export declare class ScaledJobList extends Model<IScaledJobList> implements IScaledJobList {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJob>;
    "kind": "ScaledJobList";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ListMeta;
    static apiVersion: IScaledJobList["apiVersion"];
    static kind: IScaledJobList["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IScaledJobList>;
    constructor(data?: ModelData<IScaledJobList>);
}
export type { IScaledJobList as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobList, ScaledJobList as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledJobList };
